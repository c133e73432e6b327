"""The LLM engine: instructor over any OpenAI-compatible endpoint, grounded and validated."""
