"""The chat API's HTTP layer: thin routers over :class:`bot.services.ChatService`."""
