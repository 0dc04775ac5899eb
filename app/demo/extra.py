"""Further demo loaders, registered by features (ideas, surveys…): callables with no args."""

LOADERS: list = []
