"""Business rules of the Razorpay sandbox: one module per API family."""
