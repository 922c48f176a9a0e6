"""The browser page (static HTML, CSS and JS modules) and the offline API docs."""

from bot.web.router import install_web

__all__ = ["install_web"]
