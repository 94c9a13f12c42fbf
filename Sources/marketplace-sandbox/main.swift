print("marketplace-sandbox: not built yet")
