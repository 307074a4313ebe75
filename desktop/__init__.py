"""ShopDesk: a desktop workbench for e-commerce customer-service agents."""

__version__ = "0.1.0"
