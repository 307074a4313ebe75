#!/usr/bin/env bash
# ShopDesk for macOS: dist/ShopDesk.app (the same build/shopdesk.spec) and dist/ShopDesk-<version>-macos.dmg.
# Run from anywhere on a Mac with the build extra installed (pip install -e ".[build]").
# The .app is not signed or notarized: that needs the shop's Apple Developer ID (codesign + notarytool).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

VERSION="$(python -c 'import desktop; print(desktop.__version__)')"

# the app icon from resources/icons/app.svg (optional: the spec builds without it)
if command -v rsvg-convert >/dev/null && command -v iconutil >/dev/null; then
    ICONSET="build/work/shopdesk.iconset"
    mkdir -p "$ICONSET"
    for size in 16 32 64 128 256 512; do
        rsvg-convert -w "$size" -h "$size" resources/icons/app.svg -o "$ICONSET/icon_${size}x${size}.png"
        rsvg-convert -w "$((size * 2))" -h "$((size * 2))" resources/icons/app.svg -o "$ICONSET/icon_${size}x${size}@2x.png"
    done
    iconutil -c icns "$ICONSET" -o build/macos/shopdesk.icns
fi

python -m PyInstaller --noconfirm --clean --distpath dist --workpath build/work build/shopdesk.spec

# the frozen program must work before anything is packaged
dist/ShopDesk.app/Contents/MacOS/shopdesk self-test

DMG="dist/ShopDesk-${VERSION}-macos.dmg"
STAGE="build/work/dmg"
rm -rf "$STAGE" "$DMG"
mkdir -p "$STAGE"
cp -R dist/ShopDesk.app "$STAGE/"
ln -s /Applications "$STAGE/Applications"
hdiutil create -volname "ShopDesk ${VERSION}" -srcfolder "$STAGE" -ov -format UDZO "$DMG"
du -sh dist/ShopDesk.app "$DMG"
