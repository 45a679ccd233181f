import XCTest
final class PlaceholderPlacementCLITests: XCTestCase { func testNothing() {} }
