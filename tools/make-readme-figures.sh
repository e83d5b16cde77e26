#!/usr/bin/env bash
# Regenerates the pictures in README.md with the CLI (seeded, so the same bytes every time).
set -euo pipefail
cd "$(dirname "$0")/.."
out=docs/images
npx omnidecode generate "a sneaker" -n 8 --seed 1 --force -o $out/sneakers-maskgit.png
npx omnidecode generate "an ankle boot" --seed 2 --force --trace $out/ankle-boot-trace.png -o $out/ankle-boot.png
npx omnidecode generate "a dress" -n 8 --seed 3 --scheduler autoregressive --force -o $out/dresses-autoregressive.png
npx omnidecode edit $out/ankle-boot.png "flip it" --seed 4 --force -o $out/ankle-boot-flipped.png
# Chat pages (each folder: chat.html, chat.md, chat.json and the images, as the CLI writes them).
npx omnidecode chat "draw a sandal and say what it is" --seed 0 --force -o docs/chat-example
npx omnidecode chat "draw a dress then a sneaker" --seed 0 --force -o docs/chat-items-example
npx omnidecode chat --image $out/ankle-boot.png "make it darker" "now make it smaller" --seed 0 --force -o docs/chat-edit-example
