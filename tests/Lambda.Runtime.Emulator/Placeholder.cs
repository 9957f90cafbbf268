namespace Lambda.Runtime.Emulator;
