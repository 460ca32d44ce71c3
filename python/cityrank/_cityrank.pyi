"""The compiled core of cityrank; use the functions of ``cityrank`` instead."""

from typing import Any, Dict, List, Optional, Tuple

__version__: str

class Error(ValueError):
    """A spec or its data cannot be built."""

    file: Optional[str]
    line: Optional[int]
    field: Optional[str]
    message: str
    fix: str
    row: Optional[int]

class SpecError(Error):
    """The methodology file is wrong."""

class DataError(Error):
    """A units or data table is wrong."""

class Built:
    index: str
    dimensions: List[str]
    seed: int
    def files(self) -> List[Tuple[str, bytes]]: ...
    def manifest(self) -> str: ...
    def write(self, out: str) -> None: ...
    def uncertainty(self, n: int, seed: Optional[int] = None) -> List[Tuple[str, bytes]]: ...
    def whatif(
        self, weights: Dict[str, float], aggregate: Optional[str] = None
    ) -> List[Tuple[str, str, int, float, float, int]]: ...

def build(
    spec: str, data: Any = None, units: Any = None, key: Optional[str] = None
) -> Built: ...
