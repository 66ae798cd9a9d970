#!/bin/sh
# Per-user install of the feijian tarball: the app under ~/.local/share/feijian/app, a launcher, menu entry,
# icon and file types. User data (~/.local/share/feijian/ cases and identities) is never touched.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
prefix="${XDG_DATA_HOME:-$HOME/.local/share}"
app="$prefix/feijian-app"
mkdir -p "$prefix" "$HOME/.local/bin" "$prefix/applications" "$prefix/icons/hicolor/scalable/apps" "$prefix/mime/packages"
# copy next to the old version first (cp -a keeps the bundle's symlinks), then swap; any failure stops here (set -e)
rm -rf "$app.new"
cp -a "$here/feijian" "$app.new"
rm -rf "$app"
mv "$app.new" "$app"
ln -sf "$app/feijian" "$HOME/.local/bin/feijian"
sed "s|^Exec=feijian|Exec=$app/feijian|" "$here/feijian.desktop" > "$prefix/applications/feijian.desktop"
cp "$here/feijian.svg" "$prefix/icons/hicolor/scalable/apps/feijian.svg"
[ -f "$here/feijian-mime.xml" ] && cp "$here/feijian-mime.xml" "$prefix/mime/packages/feijian.xml"
command -v update-mime-database >/dev/null && update-mime-database "$prefix/mime" || true
command -v update-desktop-database >/dev/null && update-desktop-database "$prefix/applications" || true
echo "feijian installed in $app"
