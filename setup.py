"""The one C extension: the one-pass scan's counting loops (see src/charter/engines/onepass.py).

Everything else about the package is in pyproject.toml. The extension is optional: where no C
compiler is found, Charter installs without it and runs every check through SQL instead.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "charter.engines._onepass",
            [
                "src/charter/engines/_onepass.c",
                "src/charter/engines/_onepass_bins.c",
                "src/charter/engines/_onepass_cells.c",
            ],
            depends=["src/charter/engines/_onepass.h"],
            extra_compile_args=["-O3"],
            optional=True,
        )
    ]
)
