import ControllerRuntime
import KafkaConnect
import LakeFS
import SchemaRegistry

// The backends' errors carry their `Retry-After`; the controller then waits at least that long.
extension LakeFSError: RetryAfterHint {}
extension SchemaRegistryError: RetryAfterHint {}
extension KafkaConnectError: RetryAfterHint {}
