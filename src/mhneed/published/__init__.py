"""Published data: age bands, rate tables and their files, and the tables mhneed ships."""
