"""One module per screen or modal. Screens call models/ and exports/; they hold no SQL."""
