"""Reply engines: the DebateEngine protocol, the registry, and the engines themselves."""
