from extractor.cli import app

app(prog_name="xxgk")
