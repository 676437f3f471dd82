"""The base of every scenario section: frozen, strict, finite; and the number kinds they use."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from sim.scenario.limits import kind_problem, rate_problem

__all__ = ["Section", "Positive", "NonNegative", "Probability"]


def _field_problem(model: type[BaseModel], name: str, value: Any) -> None:
    """Refuse a value of the wrong kind for field ``name`` (FieldProblem), or a rate too high."""
    field = model.model_fields.get(name)
    if field is not None:
        kind_problem(field.annotation, value)
        rate_problem(name, value)


class Section(BaseModel):
    # every float must be finite; every field of every section (new ones too) is typed strictly:
    # a boolean is not a count, "3" is not a number
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    # the section with the strict check on each field, made when a value first fails it
    _strict_twin: ClassVar[type[BaseModel] | None] = None

    @model_validator(mode="before")
    @classmethod
    def _strict_kinds(cls, data: Any) -> Any:
        """Check the kinds of the values given (one pass here, not one validator per field:
        schema building then costs far less). When one is wrong, the section is validated
        again with the check on each field, so every problem is reported, each at its key."""
        if not isinstance(data, Mapping):
            return data
        try:
            for name, value in data.items():
                _field_problem(cls, name, value)
        except ValueError:
            _twin(cls).model_validate(data)  # raises, naming every bad key
        return data


def _twin(cls: type[Section]) -> type[BaseModel]:
    """``cls`` with the kind check on each of its fields as a field validator (made once)."""
    twin = cls.__dict__.get("_strict_twin")
    if twin is None:

        class Twin(cls):  # type: ignore[valid-type,misc]
            @model_validator(mode="before")
            @classmethod
            def _strict_kinds(tcls, data: Any) -> Any:
                return data

            @field_validator("*", mode="before")
            @classmethod
            def _strict_field(tcls, value: Any, info: ValidationInfo) -> Any:
                _field_problem(tcls, info.field_name or "", value)
                return value

        Twin.__name__, Twin.__qualname__ = cls.__name__, cls.__qualname__
        twin = cls._strict_twin = Twin
    return twin


Positive = Annotated[float, Field(gt=0)]
NonNegative = Annotated[float, Field(ge=0)]
Probability = Annotated[float, Field(ge=0, le=1)]
