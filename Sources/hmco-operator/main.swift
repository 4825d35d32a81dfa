print("hmco-operator")
