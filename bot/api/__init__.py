"""The chat API's HTTP layer: thin routers over the use cases in :mod:`bot.services`."""
