"""Development tools apart from the product: benchmarks, the load test and demo data.

Installed only outside production (settings.STPROGRAM_DEV_TOOLS) and left out
of the production image. No product module imports it; everything that seeds
data goes through `devtools.seeding`.
"""
