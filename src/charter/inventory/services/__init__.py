"""Use cases of the AI inventory: what changes it (registry) and what reads it (reads),
one module to import (`from charter.inventory import services as inventory`)."""

from __future__ import annotations

from charter.inventory.services.reads import (
    DIRECTORY as DIRECTORY,
)
from charter.inventory.services.reads import (
    get_directory as get_directory,
)
from charter.inventory.services.reads import (
    get_model as get_model,
)
from charter.inventory.services.reads import (
    get_system as get_system,
)
from charter.inventory.services.reads import (
    list_directory as list_directory,
)
from charter.inventory.services.reads import (
    list_systems as list_systems,
)
from charter.inventory.services.reads import (
    names as names,
)
from charter.inventory.services.registry import (
    DATASET_FIELDS as DATASET_FIELDS,
)
from charter.inventory.services.registry import (
    MODEL_FIELDS as MODEL_FIELDS,
)
from charter.inventory.services.registry import (
    NULLABLE_SYSTEM_FIELDS as NULLABLE_SYSTEM_FIELDS,
)
from charter.inventory.services.registry import (
    SYSTEM_FIELDS as SYSTEM_FIELDS,
)
from charter.inventory.services.registry import (
    VENDOR_FIELDS as VENDOR_FIELDS,
)
from charter.inventory.services.registry import (
    Registered as Registered,
)
from charter.inventory.services.registry import (
    add_dataset as add_dataset,
)
from charter.inventory.services.registry import (
    add_model as add_model,
)
from charter.inventory.services.registry import (
    add_model_version as add_model_version,
)
from charter.inventory.services.registry import (
    add_system as add_system,
)
from charter.inventory.services.registry import (
    add_vendor as add_vendor,
)
from charter.inventory.services.registry import (
    add_version as add_version,
)
from charter.inventory.services.registry import (
    change_dataset as change_dataset,
)
from charter.inventory.services.registry import (
    change_model as change_model,
)
from charter.inventory.services.registry import (
    change_system as change_system,
)
from charter.inventory.services.registry import (
    change_vendor as change_vendor,
)
from charter.inventory.services.registry import (
    clean_system as clean_system,
)
from charter.inventory.services.registry import (
    register_dataset as register_dataset,
)
from charter.inventory.services.registry import (
    register_model as register_model,
)
from charter.inventory.services.registry import (
    register_system as register_system,
)
from charter.inventory.services.registry import (
    register_vendor as register_vendor,
)
from charter.inventory.services.registry import (
    update_system as update_system,
)
