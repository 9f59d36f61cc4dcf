"""The complaint register (台账): filter bar, lazy table model and the screen."""
