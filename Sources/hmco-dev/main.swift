print("hmco-dev")
