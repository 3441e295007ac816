"""What a Metadata API deploy reports: one DeployMessage per component (metadata WSDL), gathered in a
DeployOutcome whose status and counts app/metadata/results.py writes as the DeployResult."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class DeployMessage:
    """One DeployMessage (metadata WSDL): a component's success or failure."""

    component_type: str
    full_name: str
    file_name: str
    success: bool = True
    created: bool = False
    changed: bool = False
    deleted: bool = False
    problem: str | None = None
    problem_type: str = "Error"  # a failure's DeployProblemType: Error, or Warning (ignoreWarnings=false)
    line: int | None = None
    column: int | None = None


@dataclass
class DeployOutcome:
    successes: list[DeployMessage] = field(default_factory=list)
    failures: list[DeployMessage] = field(default_factory=list)
    files: int = 0
    size: int = 0
    committed: bool = False  # the successes were (or, for checkOnly, would be) written
    sound: int = 0  # the components that passed every check, written or not (numberComponentsTotal)

    @property
    def success(self) -> bool:
        return not self.failures

    @property
    def status(self) -> str:
        """DeployResult.status: SucceededPartial when rollbackOnError=false let the sound components through
        (Metadata API Developer Guide, DeployResult / DeployStatus: "The deployment succeeded, but some
        components might not have been successfully deployed")."""
        if not self.failures:
            return "Succeeded"
        return "SucceededPartial" if self.committed else "Failed"

    @property
    def deployed(self) -> int:
        """numberComponentsDeployed: the components written (package.xml's own message is not one)."""
        return sum(1 for m in self.successes if m.full_name != "package.xml") if self.committed else 0
