"""The Lands Between as data: ``sim.world.load.load_world()`` builds the ``World``
(``sim.world.schema``); ``sim.world.levels`` has the exact level-up costs,
``sim.world.access`` the access tokens and graph, ``sim.world.tables`` the rows
``runesim data`` prints.

Nothing is imported here, so that a light module of this package (the table names
``runesim --help`` shows) does not build the whole schema: import from the module
that defines a name.
"""
