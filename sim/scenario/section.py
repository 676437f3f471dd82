"""The base of every scenario section: frozen, strict, finite; and the number kinds they use."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from sim.scenario.limits import kind_problem, rate_problem

__all__ = ["Section", "Positive", "NonNegative", "Probability"]


class Section(BaseModel):
    # every float must be finite; every field of every section (new ones too) is typed strictly:
    # a boolean is not a count, "3" is not a number
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    @field_validator("*", mode="before")
    @classmethod
    def _strict_kinds(cls, value: Any, info: ValidationInfo) -> Any:
        field = cls.model_fields.get(info.field_name or "")
        if field is not None:
            kind_problem(field.annotation, value)
            rate_problem(info.field_name or "", value)
        return value


Positive = Annotated[float, Field(gt=0)]
NonNegative = Annotated[float, Field(ge=0)]
Probability = Annotated[float, Field(ge=0, le=1)]
