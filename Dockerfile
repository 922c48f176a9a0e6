FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY retrieval ./retrieval
COPY bot ./bot
COPY prompts ./prompts
COPY seeds ./seeds
# torch comes in through sentence-transformers (the packaged model's loader); pin
# a CPU build in your own index configuration if image size matters.
RUN pip install --no-cache-dir .
ENV HF_HUB_OFFLINE=1 DEBATEBOT_SEEDS_DIR=/app/seeds DEBATEBOT_PROMPTS_DIR=/app/prompts
EXPOSE 8080
CMD ["debatebot", "serve", "--host", "0.0.0.0", "--port", "8080"]
