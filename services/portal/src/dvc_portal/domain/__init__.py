"""Pure presentation logic of the portal: Vietnamese formatting, search folding, CSRF, session clocks."""
