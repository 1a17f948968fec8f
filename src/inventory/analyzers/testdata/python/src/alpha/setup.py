from setuptools import setup
setup(
    name="fixture-alpha",
    version="1.0.0",
    description="Portcullis test fixture package",
    license="Apache-2.0",
    classifiers=["License :: OSI Approved :: Apache Software License", "Programming Language :: Python :: 3"],
    packages=["fixture_alpha"],
    install_requires=["Fixture_Beta.Two>=2", "wheel>=0.38"],
    extras_require={"tools": ["setuptools>=66"]},
)
