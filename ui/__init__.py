"""The user interfaces: the command line (ui.cli, no Qt) and the window (Qt, loaded lazily)."""
