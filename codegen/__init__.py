"""The responses-replay generator: OpenAPI spec + overlay -> Input and Output Pydantic models.

Pipeline (each stage a module you can read alone; only `write` touches disk):
load -> select -> normalise -> overlay -> views -> render -> format -> write.
"""

__version__ = "0.1.0"
