"""The message catalogue: every sentence a student or instructor reads, in Spanish and English."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

LANGUAGES = ("es", "en")

# Templates use str.format fields. Keep the two languages side by side so that neither falls behind.
CATALOGUE: Mapping[str, Mapping[str, str]] = {
    # cases and locations
    "case.public": {"es": "caso público {n} ({sizes})", "en": "public case {n} ({sizes})"},
    "case.hidden": {"es": "caso oculto {n}", "en": "hidden case {n}"},
    "where.cell": {"es": "celda {cell}, línea {line}", "en": "cell {cell}, line {line}"},
    "where.file": {"es": "{file}, línea {line}", "en": "{file}, line {line}"},
    # check summaries
    "summary.pass": {"es": "Correcto en los {total} casos.", "en": "Correct on all {total} cases."},
    "summary.partial": {
        "es": "Correcto en {passed} de {total} casos.",
        "en": "Correct on {passed} of {total} cases.",
    },
    "summary.more": {
        "es": "… y {count} caso(s) más con fallos.",
        "en": "… and {count} more failing case(s).",
    },
    # task-level problems
    "task.missing": {
        "es": "No se encontró la función {name} (ni con los nombres {aliases}). Defínela con ese nombre.",
        "en": "Function {name} was not found (nor under the names {aliases}). Define it with that name.",
    },
    "task.missing_syntax": {
        "es": "La función {name} está en una celda con un error de sintaxis ({where}: {error}); corrígelo.",
        "en": "Function {name} is in a cell with a syntax error ({where}: {error}); fix it.",
    },
    "task.signature": {
        "es": "{name} debe poder llamarse como {name}({expected}); tu función recibe ({actual}).",
        "en": "{name} must be callable as {name}({expected}); your function takes ({actual}).",
    },
    "task.load_failed": {
        "es": "No se pudo cargar el código de la entrega: {reason}",
        "en": "The submission's code could not be loaded: {reason}",
    },
    "note.rows_as_instances": {
        "es": "Usas las instancias como filas (las diapositivas usan columnas): se aceptó esa convención.",
        "en": "You use instances as rows (the slides use columns): that convention was accepted.",
    },
    "note.convention": {
        "es": "Se aceptó tu convención de forma de los arreglos ({convention}).",
        "en": "Your array-layout convention was accepted ({convention}).",
    },
    "note.helpers_substituted": {
        "es": "Para calificar {name} por su propia lógica se usaron versiones correctas de {helpers}.",
        "en": "To grade {name} on its own logic, correct versions of {helpers} were used.",
    },
    # call outcomes
    "call.exception": {
        "es": "{case}: tu función lanzó {type}: {message}{where}",
        "en": "{case}: your function raised {type}: {message}{where}",
    },
    "call.timeout": {
        "es": "{case}: tu función no terminó en {seconds:g} s (¿un ciclo infinito?).",
        "en": "{case}: your function did not finish within {seconds:g} s (an endless loop?).",
    },
    "call.crash": {
        "es": "{case}: el proceso que ejecuta tu código terminó abruptamente ({reason}).",
        "en": "{case}: the process running your code ended abruptly ({reason}).",
    },
    "call.warnings": {"es": "  avisos de NumPy: {warnings}", "en": "  NumPy warnings: {warnings}"},
    "call.in_location": {"es": " (en {where})", "en": " (at {where})"},
    # outputs
    "out.count": {
        "es": "{case}: se esperaban {expected} valores de retorno ({names}); tu función devolvió {actual}.",
        "en": "{case}: expected {expected} return values ({names}); your function returned {actual}.",
    },
    "out.not_numeric": {
        "es": "{case}: {name} debería ser un arreglo numérico; tu función devolvió {type}.",
        "en": "{case}: {name} should be a numeric array; your function returned {type}.",
    },
    "out.shape": {
        "es": "{case}: {name} tiene forma {actual}; se esperaba {expected}.",
        "en": "{case}: {name} has shape {actual}; expected {expected}.",
    },
    "out.values": {
        "es": (
            "{case}: {name} no coincide con la referencia: diferencia máxima {diff:.3g} en {where} "
            "(esperado {expected:.6g}, obtenido {actual:.6g}; tolerancia rtol={rtol:g}, atol={atol:g})."
        ),
        "en": (
            "{case}: {name} does not match the reference: largest difference {diff:.3g} at {where} "
            "(expected {expected:.6g}, got {actual:.6g}; tolerance rtol={rtol:g}, atol={atol:g})."
        ),
    },
    "out.non_finite": {
        "es": "{case}: {name} contiene NaN o infinito.",
        "en": "{case}: {name} contains NaN or infinity.",
    },
    "out.inputs": {"es": "  entradas: {inputs}", "en": "  inputs: {inputs}"},
    # gradients
    "grad.mismatch": {
        "es": (
            "{case}: el gradiente {name} no coincide con las diferencias finitas del costo "
            "(error relativo {error:.2e}, tolerancia {tolerance:.0e})."
        ),
        "en": (
            "{case}: gradient {name} does not agree with finite differences of the cost "
            "(relative error {error:.2e}, tolerance {tolerance:.0e})."
        ),
    },
    # training
    "train.no_params": {
        "es": (
            "{case}: no se encontraron los parámetros entrenados ({names}) ni en lo que devuelve tu función "
            "ni actualizados en su lugar."
        ),
        "en": (
            "{case}: the trained parameters ({names}) were found neither in what your function returns "
            "nor updated in place."
        ),
    },
    "train.unchanged": {
        "es": "{case}: los parámetros no cambiaron después de entrenar.",
        "en": "{case}: the parameters did not change after training.",
    },
    "train.one_step": {
        "es": "{case}: tras {steps} paso(s) con tasa {rate:g}, {detail}",
        "en": "{case}: after {steps} step(s) with rate {rate:g}, {detail}",
    },
    "train.cost_up": {
        "es": "{case}: el costo subió del paso {step} al {next} ({before:.6g} → {after:.6g}) "
        "con tasa {rate:g}.",
        "en": "{case}: the cost went up from step {step} to {next} ({before:.6g} → {after:.6g}) "
        "with rate {rate:g}.",
    },
    "train.cost_flat": {
        "es": "{case}: el costo no bajó ({before:.6g} → {after:.6g}) con tasa {rate:g}.",
        "en": "{case}: the cost did not go down ({before:.6g} → {after:.6g}) with rate {rate:g}.",
    },
    "train.not_solution": {
        "es": (
            "{case}: tras {steps} iteraciones con tasa {rate:g}, theta no llega a la solución de mínimos "
            "cuadrados (diferencia máxima {diff:.3g})."
        ),
        "en": (
            "{case}: after {steps} iterations with rate {rate:g}, theta does not reach the least-squares "
            "solution (largest difference {diff:.3g})."
        ),
    },
    "train.not_learned": {
        "es": (
            "{case}: tras {steps} épocas con tasa {rate:g}, la red clasifica bien {right} de {total} "
            "instancias (costo final {cost:.4g})."
        ),
        "en": (
            "{case}: after {steps} epochs with rate {rate:g}, the network classifies {right} of {total} "
            "instances correctly (final cost {cost:.4g})."
        ),
    },
    # diagnoses: one hint per code
    "diag.swapped_outputs": {
        "es": "Parece que devuelves (a2, a1) en lugar de (a1, a2).",
        "en": "It looks like you return (a2, a1) instead of (a1, a2).",
    },
    "diag.missing_activation_derivative": {
        "es": "Falta la derivada de la sigmoide en la capa oculta: multiplica por a1 * (1 - a1).",
        "en": "The hidden layer's sigmoid derivative is missing: multiply by a1 * (1 - a1).",
    },
    "diag.missing_mean": {
        "es": "Te falta el 1/m: sumas sobre las instancias en lugar de promediar.",
        "en": "The 1/m is missing: you sum over the instances instead of averaging.",
    },
    "diag.mse_instead_of_cross_entropy": {
        "es": "Calculas el error cuadrático medio; el costo de este taller es la entropía cruzada binaria.",
        "en": "You compute the mean squared error; this workshop's cost is the binary cross-entropy.",
    },
    "diag.gradient_ascent": {
        "es": "Los parámetros se mueven en la dirección del gradiente (+); deben restarlo: θ := θ − α·∇J.",
        "en": "The parameters move along the gradient (+); they must subtract it: θ := θ − α·∇J.",
    },
    "diag.wrong_cost_scale": {
        "es": "El costo está escalado por un factor constante: revisa el 1/(2m).",
        "en": "The cost is off by a constant factor: check the 1/(2m).",
    },
    "diag.non_simultaneous_update": {
        "es": "Actualizas cada θj usando los θ ya actualizados; la actualización debe ser simultánea.",
        "en": "You update each θj using already-updated θ values; the update must be simultaneous.",
    },
    "diag.normalize_wrong_axis": {
        "es": "Calculas media y desviación por instancia (filas); deben ser por característica "
        "(columnas, axis=0).",
        "en": "You take mean and deviation per instance (rows); they must be per feature (columns, axis=0).",
    },
    "diag.transposed_output": {
        "es": "Los valores son correctos pero la forma está transpuesta.",
        "en": "The values are right but the shape is transposed.",
    },
    "diag.missing_bias": {
        "es": "Parece que no sumas los sesgos b1 y b2.",
        "en": "It looks like the biases b1 and b2 are not added.",
    },
    "diag.derivative_of_z": {
        "es": "Aplicas la derivada σ' = a(1 − a) a z1 en lugar de a la activación a1.",
        "en": "You apply the derivative σ' = a(1 − a) to z1 instead of to the activation a1.",
    },
    "diag.missing_negative_sign": {
        "es": "Al costo le falta el signo negativo: la entropía cruzada es −(y·log ŷ + (1 − y)·log(1 − ŷ)).",
        "en": "The cost lacks its minus sign: cross-entropy is −(y·log ŷ + (1 − y)·log(1 − ŷ)).",
    },
    "diag.off_by_one_epochs": {
        "es": "El ciclo de entrenamiento hace una época de menos (revisa el range).",
        "en": "The training loop runs one epoch too few (check the range).",
    },
    "diag.wrong_sign": {
        "es": "El gradiente tiene el signo cambiado: es Xᵀ(Xθ − y)/m.",
        "en": "The gradient has the wrong sign: it is Xᵀ(Xθ − y)/m.",
    },
    "diag.sum_of_squares": {
        "es": "Devuelves la suma de cuadrados sin el factor 1/(2m).",
        "en": "You return the sum of squares without the 1/(2m) factor.",
    },
    "diag.missing_centering": {
        "es": "Divides por la desviación pero no restas la media.",
        "en": "You divide by the deviation but do not subtract the mean.",
    },
    "diag.timeout": {"es": "Tu función tardó demasiado.", "en": "Your function took too long."},
    "diag.student_exception": {
        "es": "Tu función lanzó una excepción.",
        "en": "Your function raised an exception.",
    },
    "diag.missing_function": {"es": "Falta la función.", "en": "The function is missing."},
    "diag.syntax_error": {"es": "Hay un error de sintaxis.", "en": "There is a syntax error."},
    # loading
    "load.syntax_error": {
        "es": "{where}: error de sintaxis ({message}); las funciones de esa celda no se pudieron cargar.",
        "en": "{where}: syntax error ({message}); the functions in that cell could not be loaded.",
    },
    "load.import_error": {
        "es": "{where}: falló una importación ({message}); se calificó el resto.",
        "en": "{where}: an import failed ({message}); the rest was graded.",
    },
    "load.exception": {
        "es": "{where}: una instrucción de nivel superior falló ({message}).",
        "en": "{where}: a top-level statement failed ({message}).",
    },
    "load.statement_timeout": {
        "es": "{where}: una instrucción de nivel superior tardó demasiado y se omitió ({message}).",
        "en": "{where}: a top-level statement took too long and was skipped ({message}).",
    },
    # submission-level
    "submission.no_rubric": {
        "es": "La entrega no define ninguna de las funciones de los talleres ({expected}).",
        "en": "The submission defines none of the workshops' functions ({expected}).",
    },
    "submission.no_files": {
        "es": "La carpeta no contiene archivos .py ni .ipynb.",
        "en": "The folder holds no .py or .ipynb files.",
    },
}


@dataclass(frozen=True)
class Translator:
    """Looks sentences up in the catalogue for one language."""

    lang: str = "es"

    def __call__(self, key: str, **fields: Any) -> str:
        entry = CATALOGUE[key]
        return entry.get(self.lang, entry["en"]).format(**fields)

    def has(self, key: str) -> bool:
        return key in CATALOGUE
