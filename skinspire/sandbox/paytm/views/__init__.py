"""HTTP face of the Paytm sandbox: thin views that parse, call a service, answer as Paytm."""
