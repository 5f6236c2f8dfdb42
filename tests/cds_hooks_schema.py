"""JSON Schemas written from the CDS Hooks 2.0 specification (cds-hooks.hl7.org/2.0, the
"Discovery", "CDS Service Response" and "Card Attributes" sections): required fields,
allowed values and the conditional rules (selectionBehavior with suggestions, display on
every override reason, resource on a create action, resourceId on a delete)."""

from __future__ import annotations

from typing import Any

CODING: dict[str, Any] = {
    "type": "object",
    "properties": {
        "code": {"type": "string", "minLength": 1},
        "system": {"type": "string", "minLength": 1},
        "display": {"type": "string", "minLength": 1},
    },
    "required": ["code"],
}
ACTION: dict[str, Any] = {
    "type": "object",
    "properties": {
        "type": {"enum": ["create", "update", "delete"]},
        "description": {"type": "string", "minLength": 1},
        "resource": {"type": "object", "required": ["resourceType"]},
        "resourceId": {"type": "string", "minLength": 1},
    },
    "required": ["type", "description"],
    "allOf": [
        {"if": {"properties": {"type": {"const": "create"}}}, "then": {"required": ["resource"]}},
        {"if": {"properties": {"type": {"const": "update"}}}, "then": {"required": ["resource"]}},
        {"if": {"properties": {"type": {"const": "delete"}}}, "then": {"required": ["resourceId"]}},
    ],
}
SUGGESTION: dict[str, Any] = {
    "type": "object",
    "properties": {
        "label": {"type": "string", "minLength": 1},
        "uuid": {"type": "string", "format": "uuid"},
        "isRecommended": {"type": "boolean"},
        "actions": {"type": "array", "items": ACTION, "minItems": 1},
    },
    "required": ["label"],
}
LINK: dict[str, Any] = {
    "type": "object",
    "properties": {
        "label": {"type": "string", "minLength": 1},
        "url": {"type": "string", "pattern": "^https?://"},
        "type": {"enum": ["absolute", "smart"]},
        "appContext": {"type": "string"},
        "autolaunchable": {"type": "boolean"},
    },
    "required": ["label", "url", "type"],
}
CARD: dict[str, Any] = {
    "type": "object",
    "properties": {
        "uuid": {"type": "string", "format": "uuid"},
        "summary": {"type": "string", "minLength": 1, "maxLength": 139},
        "detail": {"type": "string", "minLength": 1},
        "indicator": {"enum": ["info", "warning", "critical"]},
        "source": {
            "type": "object",
            "properties": {
                "label": {"type": "string", "minLength": 1},
                "url": {"type": "string", "pattern": "^https?://"},
                "icon": {"type": "string", "pattern": "^https?://"},
                "topic": CODING,
            },
            "required": ["label"],
        },
        "suggestions": {"type": "array", "items": SUGGESTION, "minItems": 1},
        "selectionBehavior": {"enum": ["at-most-one", "any"]},
        "overrideReasons": {
            "type": "array",
            "items": {**CODING, "required": ["code", "display"]},
            "minItems": 1,
        },
        "links": {"type": "array", "items": LINK, "minItems": 1},
    },
    "required": ["summary", "indicator", "source"],
    "dependentRequired": {"suggestions": ["selectionBehavior"]},
}
RESPONSE: dict[str, Any] = {
    "type": "object",
    "properties": {
        "cards": {"type": "array", "items": CARD},
        "systemActions": {"type": "array", "items": ACTION},
    },
    "required": ["cards"],
}
DISCOVERY: dict[str, Any] = {
    "type": "object",
    "properties": {
        "services": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "hook": {"type": "string", "minLength": 1},
                    "title": {"type": "string"},
                    "description": {"type": "string", "minLength": 1},
                    "id": {"type": "string", "pattern": "^[A-Za-z0-9._-]+$"},
                    "prefetch": {
                        "type": "object",
                        "additionalProperties": {"type": "string", "minLength": 1},
                    },
                    "usageRequirements": {"type": "string"},
                },
                "required": ["hook", "description", "id"],
            },
        }
    },
    "required": ["services"],
}
