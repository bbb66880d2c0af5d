print("l4bench")
