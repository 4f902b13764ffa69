"""The national catalogue of goals (målbeskrivningar, delmål) and the files it is loaded from."""
