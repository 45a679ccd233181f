import XCTest
final class PlaceholderPlacementEngineTests: XCTestCase { func testNothing() {} }
