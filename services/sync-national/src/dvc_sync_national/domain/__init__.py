"""Pure mapping from our events to the national portal's JSON shape."""
