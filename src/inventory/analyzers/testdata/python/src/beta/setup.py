from setuptools import setup
setup(
    name="Fixture_Beta.Two",
    version="2.1.0",
    description="Portcullis test fixture package with a long licence text",
    license="Copyright (c) Portcullis fixture authors\n\nPermission is granted to use this fixture for testing only.\nThis text stands in for a whole licence file pasted into the License field.",
    classifiers=["License :: OSI Approved :: MIT License"],
    packages=["fixture_beta_two"],
)
