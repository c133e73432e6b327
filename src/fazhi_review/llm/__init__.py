"""Talking to an OpenAI-compatible endpoint: client, transport, probe, prompts and the answer schema.

The LLM *engine* (claims from the model, grounded by id) is ``engine/llm.py``; nothing here builds a summary.
"""
