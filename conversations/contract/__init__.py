"""The contract itself: its canonical content, the workflow from draft to confirmed, the answers carried
across versions and the comparison of two versions."""
