"""Running untrusted student code in a separate, limited worker process."""
