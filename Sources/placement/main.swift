import PlacementEngine
print("placement")
