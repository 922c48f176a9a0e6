FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY retrieval ./retrieval
COPY bot ./bot
COPY prompts ./prompts
COPY seeds ./seeds
# The default install needs no torch (the models run with onnxruntime).
RUN pip install --no-cache-dir .
ENV HF_HUB_OFFLINE=1 DEBATEBOT_SEEDS_DIR=/app/seeds DEBATEBOT_PROMPTS_DIR=/app/prompts
EXPOSE 8080
CMD ["debatebot", "serve", "--host", "0.0.0.0", "--port", "8080"]
