#!/usr/bin/env python3
"""Writes keras-model.h5 and keras-model.json for KerasImportRecipeTest (the recipe in docs/keras.md).

Run with the Keras 3 + JAX virtualenv (not part of the Maven build; both files are committed):

    KERAS_BACKEND=jax /work/keras-venv/bin/python make_keras_model.py

A small Sequential model (4 inputs, Dense(8, tanh), Dense(3, softmax)) is compiled with
Adam(CosineDecay(0.0, 100, alpha=0.1, warmup_target=0.01, warmup_steps=10)) and trained with Keras 3 for 12 steps.

DL4J 1.0.0-M2.1's KerasModelImport reads only files written by Keras 1 and 2 (it refuses Keras 3's .h5 with "Keras
major version has to be either 1 or 2", and does not read .keras archives), and this machine has only Keras 3. So
the trained model is written here in the HDF5 layout of tf.keras 2.x's model.save("x.h5"): attributes keras_version
("2.15.0"), backend, model_config (the Keras 2 form of the layers' config: "batch_input_shape", dtype "float32"),
training_config (loss and optimizer_config, the optimizer serialized as {"class_name", "config"} with the schedule
as Keras writes it under learning_rate); model_weights/<layer>/<layer>/kernel:0 and bias:0 with the layer_names and
weight_names attributes. Only the container is written by hand: the configuration, the schedule and the weights are
Keras 3's own.

keras-model.json holds what the Java test checks against, all computed by Keras: the model's predictions for 5
inputs, the number of optimizer steps made, and the learning rate Keras's schedule gives at each of the next 20 steps.
"""
import json
import os

os.environ.setdefault("KERAS_BACKEND", "jax")
import h5py  # noqa: E402
import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def keras2_layer(layer, first):
    """A Keras 3 layer's config in tf.keras 2.x's form."""
    config = dict(layer.get_config())
    config["dtype"] = "float32"
    config.pop("quantization_config", None)
    config.setdefault("activity_regularizer", None)
    for key in ("kernel_initializer", "bias_initializer"):
        init = dict(config[key])
        init["config"] = {k: v for k, v in init["config"].items() if k == "seed"}
        config[key] = init
    if first:
        config["batch_input_shape"] = [None, 4]
    return {"module": "keras.layers", "class_name": type(layer).__name__, "config": config, "registered_name": None,
            "build_config": {"input_shape": [None, layer.input.shape[-1]]}}


def main():
    keras.utils.set_random_seed(20261201)
    model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(8, activation="tanh", name="dense"),
                              keras.layers.Dense(3, activation="softmax", name="dense_1")])
    schedule = keras.optimizers.schedules.CosineDecay(0.0, 100, alpha=0.1, warmup_target=0.01, warmup_steps=10)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=schedule), loss="categorical_crossentropy")
    rng = np.random.default_rng(7)
    x = rng.random((32, 4), dtype=np.float32)
    y = keras.utils.to_categorical(rng.integers(0, 3, 32), 3)
    model.fit(x, y, batch_size=8, epochs=3, verbose=0)
    steps = int(model.optimizer.iterations)

    model_config = {"class_name": "Sequential", "config": {"name": "sequential", "layers": [
        {"module": "keras.layers", "class_name": "InputLayer", "config": {
            "batch_input_shape": [None, 4], "dtype": "float32", "sparse": False, "ragged": False, "name": "input_1"},
         "registered_name": None}] + [keras2_layer(l, i == 0) for i, l in enumerate(model.layers)]},
        "keras_version": "2.15.0", "backend": "tensorflow"}
    training_config = {"loss": "categorical_crossentropy", "metrics": None, "weighted_metrics": None,
                       "loss_weights": None, "optimizer_config": {
                           "class_name": "Adam", "config": model.optimizer.get_config()}}

    path = os.path.join(HERE, "keras-model.h5")
    with h5py.File(path + ".tmp", "w") as f:
        f.attrs["keras_version"] = "2.15.0"
        f.attrs["backend"] = "tensorflow"
        f.attrs["model_config"] = json.dumps(model_config)
        f.attrs["training_config"] = json.dumps(training_config)
        weights = f.create_group("model_weights")
        weights.attrs["layer_names"] = np.array([l.name.encode() for l in model.layers])
        weights.attrs["backend"] = "tensorflow"
        weights.attrs["keras_version"] = "2.15.0"
        for layer in model.layers:
            g = weights.create_group(layer.name)
            names = [layer.name + "/kernel:0", layer.name + "/bias:0"]
            g.attrs["weight_names"] = np.array([n.encode() for n in names])
            for name, value in zip(names, (layer.kernel.numpy(), layer.bias.numpy())):
                g.create_dataset(name, data=value)
    os.replace(path + ".tmp", path)

    x_test = rng.random((5, 4), dtype=np.float32)
    rate = jax.jit(schedule)
    expected = {"keras": keras.__version__, "steps": steps, "inputs": x_test.tolist(),
                "predictions": model.predict(x_test, verbose=0).tolist(),
                "rates": [float(rate(jnp.int32(steps + k))) for k in range(20)]}
    with open(os.path.join(HERE, "keras-model.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")
    print("wrote keras-model.h5 and keras-model.json (%d steps trained)" % steps)


if __name__ == "__main__":
    main()
