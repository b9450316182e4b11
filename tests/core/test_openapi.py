"""The shipped OpenAPI file describes every route the server registers, and nothing else."""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

import jsonschema
import yaml
from jupyter_server.utils import url_path_join

from colab_ext.core.routing import tornado_pattern
from tests.routes import methods_of


def load_spec() -> dict[str, Any]:
    return yaml.safe_load(files("colab_ext").joinpath("openapi.yaml").read_text())


def schema_of(spec: dict[str, Any], name: str) -> dict[str, Any]:
    """A JSON schema for one component, with the spec's components reachable for $ref."""
    return {"$ref": f"#/components/schemas/{name}", "components": spec["components"]}


def test_spec_is_openapi_31() -> None:
    spec = load_spec()
    assert spec["openapi"].startswith("3.1")
    for schema in spec["components"]["schemas"].values():
        jsonschema.Draft202012Validator.check_schema(schema)


def test_no_description_is_broken_into_a_key() -> None:
    # A plain scalar folded at ": " or after a comma reads as a new key with the value null
    # ("description: Why not\n  if so.: null"). Nothing in the file is a key without a value.
    def null_keys(node: Any, where: str) -> list[str]:
        if isinstance(node, dict):
            return [f"{where}/{key}" for key, value in node.items() if value is None] + [
                found for key, value in node.items() for found in null_keys(value, f"{where}/{key}")
            ]
        if isinstance(node, list):
            return [
                found for i, item in enumerate(node) for found in null_keys(item, f"{where}/{i}")
            ]
        return []

    assert null_keys(load_spec(), "") == []


async def test_every_registered_route_is_documented(
    colab_routes: list[tuple[str, type]], jp_serverapp: Any
) -> None:
    spec = load_spec()
    documented = {
        url_path_join(jp_serverapp.base_url, tornado_pattern(path).lstrip("/")): set(operations)
        for path, operations in spec["paths"].items()
    }
    registered = {pattern: set(methods_of(handler)) for pattern, handler in colab_routes}
    assert registered == documented


async def test_about_matches_its_schema(jp_fetch: Any, nvml: Any) -> None:
    nvml(gpus=["Stand-in A100"])
    response = await jp_fetch("colab", "runtime", "about")
    jsonschema.validate(json.loads(response.body), schema_of(load_spec(), "AboutRuntime"))
