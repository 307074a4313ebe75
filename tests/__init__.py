"""ShopDesk's tests: one folder per package layer, plus integration/ and gui/ (see tests/conftest.py)."""
