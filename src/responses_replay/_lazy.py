"""A TypeAdapter built on first use: importing the package must not build ~400 validators."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import TypeAdapter
from pydantic_core import CoreSchema, SchemaSerializer, SchemaValidator

from ._gc import paused_gc

T = TypeVar("T")


class LazyAdapter(Generic[T]):
    """`TypeAdapter[T]`'s validate and dump methods, with the adapter built on first call."""

    __slots__ = ("_adapter", "_type")

    def __init__(self, type_: Any) -> None:
        self._type = type_
        self._adapter: TypeAdapter[T] | None = None

    @property
    def adapter(self) -> TypeAdapter[T]:
        if self._adapter is None:
            self._adapter = TypeAdapter(self._type)
        return self._adapter

    # The methods that build many objects run under one pause of the cyclic collector, as every
    # public call of the package does (`_parse.paused_gc`: counted, thread-safe, restored on
    # every exit): 10k items from JSON take ~1.8x as long with it on.

    def validate_python(self, obj: Any, **kwargs: Any) -> T:
        with paused_gc():
            return self.adapter.validate_python(obj, **kwargs)

    def validate_json(self, data: str | bytes | bytearray, **kwargs: Any) -> T:
        with paused_gc():
            return self.adapter.validate_json(data, **kwargs)

    def dump_python(self, value: T, **kwargs: Any) -> Any:
        with paused_gc():
            return self.adapter.dump_python(value, **kwargs)

    def dump_json(self, value: T, **kwargs: Any) -> bytes:
        return self.adapter.dump_json(value, **kwargs)

    def json_schema(self, **kwargs: Any) -> dict[str, Any]:
        return self.adapter.json_schema(**kwargs)

    @property
    def core_schema(self) -> CoreSchema:
        return self.adapter.core_schema

    @property
    def validator(self) -> SchemaValidator:
        validator = self.adapter.validator
        assert isinstance(validator, SchemaValidator)
        return validator

    @property
    def serializer(self) -> SchemaSerializer:
        return self.adapter.serializer
