"""One package per feature; `bot.app` wires their routers."""
