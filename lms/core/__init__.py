"""The thin core: language, security headers, errors, health."""
