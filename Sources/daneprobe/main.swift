print("daneprobe")
