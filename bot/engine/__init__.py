"""Reply engines behind one interface (:class:`bot.engine.base.DebateEngine`)."""
