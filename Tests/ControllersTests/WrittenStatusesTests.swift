import KubeAPI
import PlatformAPI
import Testing

@testable import Controllers

@Suite("Statuses written but not yet seen by the informer")
struct WrittenStatusesTests {
    func object(_ status: DataBranchStatus?) -> DataBranch {
        var object = DecisionFixture.branch(status: status)
        object.metadata.uid = "uid-1"
        return object
    }

    func status(head: String) -> DataBranchStatus {
        DecisionFixture.status { $0.headCommit = head }
    }

    @Test("a copy still showing the status a write replaced gets the written status")
    func staleCopy() {
        let memo = WrittenStatuses<DataBranch>()
        memo.remember(status(head: "b"), over: object(status(head: "a")))
        #expect(memo.latest(object(status(head: "a"))).status == status(head: "b"))
        #expect(memo.latest(object(status(head: "a"))).status == status(head: "b"))
    }

    @Test("an object with no status yet gets the first status written for it")
    func firstWrite() {
        let memo = WrittenStatuses<DataBranch>()
        memo.remember(status(head: "a"), over: object(nil))
        #expect(memo.latest(object(nil)).status == status(head: "a"))
    }

    @Test("two writes in a row: a copy showing either older status gets the last one")
    func chainedWrites() {
        let memo = WrittenStatuses<DataBranch>()
        memo.remember(status(head: "b"), over: object(status(head: "a")))
        let overlaid = memo.latest(object(status(head: "a")))
        memo.remember(status(head: "c"), over: overlaid)
        #expect(memo.latest(object(status(head: "a"))).status == status(head: "c"))
        #expect(memo.latest(object(status(head: "b"))).status == status(head: "c"))
    }

    @Test("once the write is seen, or the status changed elsewhere, the informer's copy wins")
    func caughtUp() {
        let memo = WrittenStatuses<DataBranch>()
        memo.remember(status(head: "b"), over: object(status(head: "a")))
        #expect(memo.latest(object(status(head: "x"))).status == status(head: "x"))
        // Forgotten: even the old status is taken as it is now.
        #expect(memo.latest(object(status(head: "a"))).status == status(head: "a"))
    }

    @Test("another object with the same name (a new uid) is not affected")
    func otherObject() {
        let memo = WrittenStatuses<DataBranch>()
        memo.remember(status(head: "b"), over: object(status(head: "a")))
        var recreated = object(status(head: "a"))
        recreated.metadata.uid = "uid-2"
        #expect(memo.latest(recreated).status == status(head: "a"))
    }
}
