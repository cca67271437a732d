# Install with `luarocks make` offline into a private tree, then require it
# from that tree under lua5.4 (the installed module, not the checkout).
luarocks_tap() {
  tree=$(mktemp -d)
  src=$(mktemp -d)
  # build from a copy so object files never land in the checkout
  tar --exclude=./build --exclude=./.git --exclude=./lua_modules -cf - . | (cd "$src" && tar xf -)
  if (cd "$src" && luarocks --lua-version 5.4 --tree "$tree" make --deps-mode=none \
        rockspec/tpp-scm-1.rockspec) >"$out/luarocks.log" 2>&1; then
    echo "ok 1 - luarocks make installs offline into a private tree"
  else
    echo "not ok 1 - luarocks make installs offline into a private tree"; sed 's/^/# /' "$out/luarocks.log" | tail -20
  fi
  res=$(cd / && LUA_PATH="$tree/share/lua/5.4/?.lua;$tree/share/lua/5.4/?/init.lua" \
        LUA_CPATH="$tree/lib/lua/5.4/?.so" lua5.4 -e '
          local tpp = require "tpp"
          assert(package.searchpath("tpp.core", package.cpath):find("'"$tree"'", 1, true))
          io.write((tpp.chip("H20"):tpp()))' 2>&1)
  if [ "$res" = "2368" ]; then echo "ok 2 - require \"tpp\" from the installed tree under lua5.4"
  else echo "not ok 2 - require \"tpp\" from the installed tree under lua5.4"; echo "# $res"; fi
  res=$(cd / && LUA_PATH="$tree/share/lua/5.4/?.lua;$tree/share/lua/5.4/?/init.lua" \
        LUA_CPATH="$tree/lib/lua/5.4/?.so" "$tree/bin/tpp" show H20 --json 2>&1 | grep -c '"tpp": 2368')
  if [ "$res" -ge 1 ]; then echo "ok 3 - the installed tpp command runs"
  else echo "not ok 3 - the installed tpp command runs"; fi
  rm -rf "$tree" "$src"
}
run_suite luarocks luarocks_tap
